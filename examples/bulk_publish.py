"""Publish every entry of a content type whose latest version is not live, in bulk jobs.

Entries are listed page by page; those whose newest version is not published to the
environment are sent in bulk requests of at most 10 (the API's limit), and each job is
awaited before the next starts.

With CONTENTSTACK_API_KEY, CONTENTSTACK_MANAGEMENT_TOKEN and CONTENTSTACK_ENVIRONMENT set
(and optionally CONTENTSTACK_REGION, CONTENTSTACK_LOCALE, CONTENTSTACK_CONTENT_TYPE, default
``author``) it publishes in your stack. Without them it edits two authors of the bundled
demo stack, in memory, and publishes those.

    python examples/bulk_publish.py
"""

from __future__ import annotations

import os
from contextlib import ExitStack
from typing import Any

from contentstack_client import ManagementStack, pages
from contentstack_client._generated.cma.models import (
    BulkJobResponse,
    Entry,
    EntryData,
    EntryRequest,
)
from contentstack_client.testing import InMemoryStack

BATCH = 10  # entries per bulk request, the documented maximum


def connect(resources: ExitStack) -> tuple[ManagementStack, str, float]:
    """A management client, the environment, and how often to poll a job (seconds)."""
    api_key = os.environ.get("CONTENTSTACK_API_KEY")
    token = os.environ.get("CONTENTSTACK_MANAGEMENT_TOKEN")
    environment = os.environ.get("CONTENTSTACK_ENVIRONMENT")
    if api_key and token and environment:
        region = os.environ.get("CONTENTSTACK_REGION", "na")
        print(f"Publishing in stack {api_key[:4]}... ({environment}, region {region})")
        stack = ManagementStack(api_key, management_token=token, region=region)
        return resources.enter_context(stack), environment, 2.0
    print("No CONTENTSTACK_* credentials set: publishing in the in-memory demo stack")
    kit = InMemoryStack.demo()
    stack = resources.enter_context(kit.management_stack())
    for uid in ("blt_author_ada", "blt_author_grace"):  # two drafts newer than what is live
        edit = EntryData()
        edit["bio"] = "Updated by the bulk publishing example."
        stack.api.entries.update_entry("author", uid, body=EntryRequest(entry=edit))
    return stack, kit.environment, 0.1


def is_live(entry: Entry, environment_uid: str, locale: str) -> bool:
    """Whether the entry's newest version is published to the environment in ``locale``."""
    return any(
        detail.environment == environment_uid
        and detail.locale == locale
        and detail.version == entry.field_version
        for detail in entry.publish_details or []
    )


def job_summary(job: BulkJobResponse) -> tuple[str, dict[str, Any]]:
    """Status and counts of a job, whether the API nests them under ``job`` or not."""
    source = job.job or job
    return str(source.status), source.summary.to_dict() if source.summary else {}


def main() -> None:
    """Find the entries to publish, then publish them 10 at a time."""
    with ExitStack() as resources:
        stack, environment, poll_interval = connect(resources)
        locale = os.environ.get("CONTENTSTACK_LOCALE", "en-us")
        content_type = os.environ.get("CONTENTSTACK_CONTENT_TYPE", "author")
        # Publish records name the environment by its uid.
        environment_uid = stack.api.environments.get_environment(environment).environment.uid
        assert isinstance(environment_uid, str)

        pending: list[Entry] = []
        listing = stack.api.entries.get_entries
        for page in pages(listing, content_type, locale=locale, include_publish_details=True):
            pending += [e for e in page.entries or [] if not is_live(e, environment_uid, locale)]
        print(f"\n{len(pending)} '{content_type}' entries have changes to publish")

        for start in range(0, len(pending), BATCH):
            batch = pending[start : start + BATCH]
            started = stack.bulk_publish(
                entries=[
                    {
                        "uid": e.uid,
                        "content_type": content_type,
                        "locale": locale,
                        "version": e.field_version,
                    }
                    for e in batch
                ],
                environments=[environment],
                locales=[locale],
            )
            print(f"  job {started.job_id}: {[e.title for e in batch]}")
            assert isinstance(started.job_id, str)
            job = stack.wait_for_job(started.job_id, poll_interval=poll_interval, timeout=600)
            status, summary = job_summary(job)
            print(f"  -> {status}; {summary or 'no summary'}")


if __name__ == "__main__":
    main()
