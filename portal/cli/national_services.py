"""flask national-services check"""

from __future__ import annotations

from datetime import date

import click
from flask.cli import AppGroup

from portal.cli.progress import track

national_services_cli = AppGroup(
    "national-services", help="The links to national and regional services (DID, Centri per l'Impiego, SIISL)."
)


@national_services_cli.command("check")
@click.option("--record", is_flag=True, help="Mark the links found working as checked today (to_verify = false).")
def check_command(record: bool) -> None:
    """Open every link of the national-services data and say which work, moved or are broken.

    Needs web access. Exits with status 1 when a link is broken or moved, so it can run from cron.
    """
    from portal.vocabularies import link_check, national_services

    urls = link_check.distinct_urls(national_services.catalogue())
    results = [link_check.check_url(url) for url in track(urls, len(urls), "links", unit="link")]
    for result in results:
        if not result.ok:
            click.echo(f"{result.status:7} {result.url}  ({result.detail})")
    working = {result.url for result in results if result.ok}
    click.echo(f"{len(working)} of {len(results)} links work; {len(results) - len(working)} to look at")
    if record:
        marked = link_check.record(working, date.today(), national_services.DATA)
        click.echo(f"{marked} facts marked as checked on {date.today().isoformat()}")
    if len(working) < len(results):
        raise SystemExit(1)
