"""`flask --app wsgi <group> <command>`: tenants, users, demo, search, newsletter, alerts, interests, jobs,
deploy, opendata, tokens, national-services, privacy."""

from flask import Flask


def register_cli(app: Flask) -> None:
    from portal.cli.alerts import alerts_cli
    from portal.cli.demo import demo_cli
    from portal.cli.deploy import deploy_cli
    from portal.cli.interests import interests_cli
    from portal.cli.jobs import jobs_cli
    from portal.cli.national_services import national_services_cli
    from portal.cli.newsletter import newsletter_cli
    from portal.cli.opendata import opendata_cli
    from portal.cli.privacy import privacy_cli
    from portal.cli.search import search_cli
    from portal.cli.tenants import tenants_cli
    from portal.cli.tokens import tokens_cli
    from portal.cli.users import users_cli

    app.cli.add_command(tenants_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(search_cli)
    app.cli.add_command(newsletter_cli)
    app.cli.add_command(alerts_cli)
    app.cli.add_command(jobs_cli)
    app.cli.add_command(deploy_cli)
    app.cli.add_command(opendata_cli)
    app.cli.add_command(tokens_cli)
    app.cli.add_command(interests_cli)
    app.cli.add_command(national_services_cli)
    app.cli.add_command(privacy_cli)
