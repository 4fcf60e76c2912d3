"""Create an entry, publish it, and read it back through the Content Delivery API.

With CONTENTSTACK_API_KEY, CONTENTSTACK_MANAGEMENT_TOKEN, CONTENTSTACK_DELIVERY_TOKEN and
CONTENTSTACK_ENVIRONMENT set (and optionally CONTENTSTACK_REGION, CONTENTSTACK_LOCALE and
CONTENTSTACK_CONTENT_TYPE, default ``author``, whose entries need only a title) it creates
an entry in your stack. Without them it runs against the bundled demo stack, in memory.

    python examples/publish_entry.py
"""

from __future__ import annotations

import datetime
import os
import time
from contextlib import ExitStack
from dataclasses import dataclass

from contentstack_client import (
    ManagementStack,
    NotFoundError,
    Stack,
    UnprocessableEntityError,
)
from contentstack_client._generated.cda.models import Entry as DeliveredEntry
from contentstack_client._generated.cma.models import EntryData, EntryRequest
from contentstack_client.testing import InMemoryStack


@dataclass
class Target:
    """Where to write and where to read: both APIs, and what to publish to."""

    management: ManagementStack
    delivery: Stack
    environment: str
    locale: str
    content_type: str


def connect(resources: ExitStack) -> Target:
    """Clients for your stack, or for the in-memory demo stack."""
    env = os.environ
    names = ("API_KEY", "MANAGEMENT_TOKEN", "DELIVERY_TOKEN", "ENVIRONMENT")
    api_key, management_token, delivery_token, environment = (
        env.get(f"CONTENTSTACK_{n}", "") for n in names
    )
    locale = env.get("CONTENTSTACK_LOCALE", "en-us")
    content_type = env.get("CONTENTSTACK_CONTENT_TYPE", "author")
    if api_key and management_token and delivery_token and environment:
        region = env.get("CONTENTSTACK_REGION", "na")
        print(f"Publishing to stack {api_key[:4]}... ({environment}, region {region})")
        management = ManagementStack(api_key, management_token=management_token, region=region)
        delivery = Stack(api_key, delivery_token, environment, region=region)
    else:
        print("No CONTENTSTACK_* credentials set: publishing to the in-memory demo stack")
        kit = InMemoryStack.demo()
        management, delivery, environment = kit.management_stack(), kit.stack(), kit.environment
    return Target(
        resources.enter_context(management),
        resources.enter_context(delivery),
        environment,
        locale,
        content_type,
    )


def wait_until_delivered(
    target: Target, uid: str, version: int, timeout: float = 60
) -> DeliveredEntry:
    """Read the entry from the CDN until it shows ``version``: publishing is queued."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            entry = target.delivery.fetch_entry(target.content_type, uid, locale=target.locale)
            if entry.field_version == version:
                return entry
        except (NotFoundError, UnprocessableEntityError):
            pass  # not delivered yet
        if time.monotonic() > deadline:
            raise TimeoutError(f"entry {uid} version {version} not delivered after {timeout} s")
        time.sleep(2)


def main() -> None:
    """Create a draft, edit it, publish it and read what the delivery API serves."""
    with ExitStack() as resources:
        target = connect(resources)
        entries = target.management.api.entries
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S")

        created = entries.create_entry(
            target.content_type,
            body=EntryRequest(entry=EntryData(title=f"Written by the example at {stamp}")),
            locale=target.locale,
        ).entry
        assert created, "the create answer carries the entry"
        print(f"\nCreated draft {created.uid}, version {created.field_version}")

        edit = EntryData(title=f"Published by the example at {stamp}")
        if target.content_type == "author":
            edit["bio"] = "Created and published with contentstack-client."  # a custom field
        updated = entries.update_entry(
            target.content_type, created.uid, body=EntryRequest(entry=edit), locale=target.locale
        ).entry
        assert updated and isinstance(updated.field_version, int)
        print(f"Saved version {updated.field_version}: {updated.title!r}")

        answer = target.management.publish_entry(
            target.content_type,
            created.uid,
            environments=[target.environment],
            locales=[target.locale],
            locale=target.locale,
        )
        print(f"Publish: {answer.notice}")

        delivered = wait_until_delivered(target, created.uid, updated.field_version)
        print(f"\nThe delivery API serves version {delivered.field_version}: {delivered.title!r}")
        for key in sorted(delivered.additional_keys):
            print(f"  {key}: {delivered[key]!r}")


if __name__ == "__main__":
    main()
