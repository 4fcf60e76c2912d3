"""Query entries with the typed builder: conditions, references, projections, pages.

Runs against the bundled demo stack (in memory), so it needs no credentials:

    python examples/queries.py
"""

from __future__ import annotations

from contentstack_client import Filter, Stack
from contentstack_client.testing import InMemoryStack


def main(stack: Stack) -> None:
    """Find posts a few ways and walk every page lazily."""
    posts = stack.query("blog_post")

    featured = posts.where("featured", True).include("author").only("title", "author").find()
    print(f"{len(featured)} featured post(s):")
    for post in featured:
        print(f"  {post.title}")

    quick_reads = posts.lte("reading_minutes", 6).asc("reading_minutes")
    print(f"\n{quick_reads.count()} post(s) of at most 6 minutes")

    by_author = posts.reference_in("author", Filter().regex("title", "^a", "i"))
    first = by_author.find_one()
    print(f"\nFirst post by an author whose name starts with 'a': {first.title if first else None}")

    either = posts.or_(Filter().where("featured", True), Filter().gt("reading_minutes", 8))
    print(f"\nFeatured or long: {[p.title for p in either.find()]}")

    print("\nEvery post, one page of 2 at a time:")
    for post in posts.asc("uid").iter(page_size=2):
        print(f"  {post.uid}: {post.title}")


if __name__ == "__main__":
    with InMemoryStack.demo().stack() as demo:
        main(demo)
