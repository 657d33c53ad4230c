"""Controlled vocabularies of the directory, with labels in the user's language."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

# Italian provinces and metropolitan cities (sigla -> name).
PROVINCES = dict(
    item.split("=") for item in (
        "AG=Agrigento AL=Alessandria AN=Ancona AO=Aosta AP=Ascoli_Piceno AQ=L'Aquila AR=Arezzo AT=Asti "
        "AV=Avellino BA=Bari BG=Bergamo BI=Biella BL=Belluno BN=Benevento BO=Bologna BR=Brindisi BS=Brescia "
        "BT=Barletta-Andria-Trani BZ=Bolzano CA=Cagliari CB=Campobasso CE=Caserta CH=Chieti CL=Caltanissetta "
        "CN=Cuneo CO=Como CR=Cremona CS=Cosenza CT=Catania CZ=Catanzaro EN=Enna FC=Forlì-Cesena FE=Ferrara "
        "FG=Foggia FI=Firenze FM=Fermo FR=Frosinone GE=Genova GO=Gorizia GR=Grosseto IM=Imperia IS=Isernia "
        "KR=Crotone LC=Lecco LE=Lecce LI=Livorno LO=Lodi LT=Latina LU=Lucca MB=Monza_e_Brianza MC=Macerata "
        "ME=Messina MI=Milano MN=Mantova MO=Modena MS=Massa-Carrara MT=Matera NA=Napoli NO=Novara NU=Nuoro "
        "OR=Oristano PA=Palermo PC=Piacenza PD=Padova PE=Pescara PG=Perugia PI=Pisa PN=Pordenone PO=Prato "
        "PR=Parma PT=Pistoia PU=Pesaro_e_Urbino PV=Pavia PZ=Potenza RA=Ravenna RC=Reggio_Calabria "
        "RE=Reggio_Emilia RG=Ragusa RI=Rieti RM=Roma RN=Rimini RO=Rovigo SA=Salerno SI=Siena SO=Sondrio "
        "SP=La_Spezia SR=Siracusa SS=Sassari SU=Sud_Sardegna SV=Savona TA=Taranto TE=Teramo TN=Trento TO=Torino "
        "TP=Trapani TR=Terni TS=Trieste TV=Treviso UD=Udine VA=Varese VB=Verbano-Cusio-Ossola VC=Vercelli "
        "VE=Venezia VI=Vicenza VR=Verona VT=Viterbo VV=Vibo_Valentia"
    ).split()
)
PROVINCES = {code: name.replace("_", " ") for code, name in PROVINCES.items()}

ATECO_SECTIONS = {
    "A": _l("Agriculture, forestry and fishing"), "B": _l("Mining and quarrying"), "C": _l("Manufacturing"),
    "D": _l("Electricity and gas supply"), "E": _l("Water supply and waste management"),
    "F": _l("Construction"), "G": _l("Wholesale and retail trade"), "H": _l("Transport and storage"),
    "I": _l("Accommodation and food services"), "J": _l("Information and communication"),
    "K": _l("Finance and insurance"), "L": _l("Real estate"), "M": _l("Professional and technical services"),
    "N": _l("Administrative and support services"), "O": _l("Public administration"), "P": _l("Education"),
    "Q": _l("Health and social work"), "R": _l("Arts, entertainment and recreation"),
    "S": _l("Other services"), "T": _l("Households as employers"), "U": _l("Extraterritorial organisations"),
}

TARGET_GROUPS = {
    "giovani": _l("Young people"), "donne": _l("Women"), "migranti": _l("Migrants"),
    "rifugiati": _l("Refugees and asylum seekers"), "sostegno-reddito": _l("People on income support"),
    "disabilita": _l("People with disabilities"), "detenuti": _l("Prisoners and former prisoners"),
    "disoccupati-lunga-durata": _l("Long-term unemployed"), "over-50": _l("People over 50"),
}

ORGANISATION_KINDS = {
    "company": _l("Company"), "cooperative": _l("Cooperative"), "association": _l("Association"),
    "public_body": _l("Public body"), "other": _l("Other organisation"),
}

OPPORTUNITY_TYPES = {
    "tirocinio_extracurricolare": _l("Extracurricular internship"),
    "tirocinio_inclusione": _l("Social-inclusion internship"),
    "lavoro": _l("Job offer"), "borsa_lavoro": _l("Work grant (borsa lavoro)"), "volontariato": _l("Volunteering"),
}

KINDS = {
    "organisation": _l("Organisations"), "opportunity": _l("Opportunities"),
    "training": _l("Training"), "event": _l("Events"),
}
KIND_SINGULAR = {
    "organisation": _l("Organisation"), "opportunity": _l("Opportunity"),
    "training": _l("Training offer"), "event": _l("Event"),
}

COST = {"free": _l("Free"), "paid": _l("Paid")}
STATUS = {"open": _l("Still open"), "closed": _l("Closed (archive)")}
LANGUAGES = {"it": _l("Italian"), "en": _l("English"), "fr": _l("French"), "ar": _l("Arabic"),
             "es": _l("Spanish"), "uk": _l("Ukrainian"), "ro": _l("Romanian")}


def choices(mapping: dict) -> list[tuple[str, str]]:
    return [(key, label) for key, label in mapping.items()]
