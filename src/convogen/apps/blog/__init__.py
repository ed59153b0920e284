"""A blog-writing team: a writer, a critic and optional reviewers consulted via nested chats."""

from convogen.apps.blog.team import BlogResult, build_blog_team, is_approval, write_blog

__all__ = ["BlogResult", "build_blog_team", "is_approval", "write_blog"]
