"""A blog-writing team, offline: a writer, a critic, and SEO and legal reviewers.

The critic opens the chat with the assignment; the writer drafts. The critic consults the
SEO and legal reviewers through nested chats (each sees only the draft) and a meta reviewer
merges their notes into the critic's feedback. The writer revises until the critic approves.
Every model is scripted, so it runs with no network and no API key.

Run: .venv/bin/convogen example app_blog_team [--model local | --config OAI_CONFIG_LIST]
(scripted models by default; --silent prints nothing of its own)
"""

from __future__ import annotations

from typing import Any

from convogen import scripted_llm_config
from convogen.apps.blog import BlogResult, write_blog
from convogen.cli.errors import run_guarded
from convogen.cli.models import ModelChoice, example_options
from convogen.messages import content_str

DRAFT = """# Why your team should try pair programming
Two people, one keyboard: pairing spreads knowledge, catches bugs early and makes
onboarding faster. Start with one hour a day and rotate pairs every week."""

CITATION = """
Studies on pairing report fewer defects for a modest increase in effort; results vary by
team, so measure your own before and after."""


def writer_model(messages: list[Any]) -> str:
    """Drafts; adds a balanced evidence paragraph when asked to back up claims."""
    feedback = content_str(messages[-1].get("content")).lower()
    return DRAFT + CITATION if "evidence" in feedback else DRAFT


def seo_model(messages: list[Any]) -> str:
    """The SEO reviewer's notes."""
    return "As the SEO reviewer: the title already holds the key phrase 'pair programming'."


def legal_model(messages: list[Any]) -> str:
    """The legal reviewer wants claims backed up, once."""
    if "Studies on pairing" in content_str(messages[-1].get("content")):
        return "As the legal reviewer: no further concerns."
    return "As the legal reviewer: 'catches bugs early' is a claim; add evidence or soften it."


def meta_model(messages: list[Any]) -> str:
    """Merges the reviews: approve when nobody asks for a change."""
    reviews = content_str(messages[-1].get("content"))
    if "no further concerns" in reviews:
        return "APPROVED"
    return "Please add evidence for the claim that pairing catches bugs early."


def main(silent: bool = False, model: ModelChoice | None = None) -> BlogResult:
    """Write the post and return the result."""
    pick = (model or ModelChoice()).picker()
    result = write_blog(
        "pair programming",
        pick(scripted_llm_config(writer_model)),
        pick(scripted_llm_config(meta_model)),
        reviewer_llm_configs={
            "SEO": pick(scripted_llm_config(seo_model)),
            "legal": pick(scripted_llm_config(legal_model)),
        },
        max_rounds=3,
        silent=silent,
    )
    if not silent:
        stop = result.chat_result.stop_reason if result.chat_result else None
        print(f"\nFinal post ({len(result.versions)} versions, stop: {stop}):\n\n{result.post}")
    return result


if __name__ == "__main__":
    run_guarded(lambda: main(**example_options(__doc__)))
