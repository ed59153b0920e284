"""Team specs: agents and teams described in JSON files that the CLI and the studio can run."""

from convogen.specs.build import Team, build_team, run_team
from convogen.specs.models import AgentSpec, TeamSpec, load_spec, save_spec

__all__ = ["AgentSpec", "Team", "TeamSpec", "build_team", "load_spec", "run_team", "save_spec"]
