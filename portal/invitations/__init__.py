"""Invitations: an account created, with its role, when the invited person sets a password.

invitations   /invitation/<token>   public: the link in the invitation mail (signed, expiring,
                                    good for one use); a used or expired link shows link_problem

Admins invite coordinators, members and partner editors (portal/admin/); a coordinator who
verifies a company registration invites its contact person (portal/companies/).
"""

from flask import Blueprint

bp = Blueprint("invitations", __name__, url_prefix="/invitation", template_folder="templates")

from portal.invitations import routes  # noqa: E402,F401
