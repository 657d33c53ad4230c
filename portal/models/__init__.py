"""Typed SQLAlchemy 2.0 models; importing this package registers them all."""
from portal.models.content import NewsPost, Page
from portal.models.tenant import Membership, Role, Tenant
from portal.models.user import User

__all__ = ["Membership", "NewsPost", "Page", "Role", "Tenant", "User"]
