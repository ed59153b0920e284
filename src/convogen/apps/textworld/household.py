"""A small built-in household text game in the style of ALFWorld, for offline episodes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from convogen.apps.textworld.env import NOTHING_HAPPENS
from convogen.errors import ConfigError

# Which appliance changes which property of an object ("clean mug 1 with sinkbasin 1").
APPLIANCES = {"clean": "sinkbasin", "heat": "microwave", "cool": "fridge"}
STATE_WORDS = {"clean": "clean", "heat": "hot", "cool": "cold"}


@dataclass
class Receptacle:
    """A place the agent can go to, which may hold objects and may open."""

    name: str
    room: str
    openable: bool = False
    is_open: bool = True
    contents: list[str] = field(default_factory=list)

    @property
    def kind(self) -> str:
        """The name without its number: 'cabinet 1' -> 'cabinet'."""
        return self.name.rsplit(" ", 1)[0]

    @property
    def preposition(self) -> str:
        """'in' for containers, 'on' for surfaces."""
        return "in" if self.openable or self.kind in ("sinkbasin", "drawer") else "on"


@dataclass(frozen=True)
class Goal:
    """Put an object, with a required state ('clean', 'hot', 'cold' or ''), in a receptacle."""

    item: str
    state: str
    target: str

    def describe(self) -> str:
        """The task sentence shown to the agent."""
        adjective = f"{self.state} " if self.state else ""
        return f"put a {adjective}{self.item.rsplit(' ', 1)[0]} in/on the {self.target}"


def default_layout() -> list[Receptacle]:
    """Three rooms: a kitchen with appliances, a dining room and a living room."""
    return [
        Receptacle("countertop 1", "kitchen", contents=["apple 1", "knife 1"]),
        Receptacle("cabinet 1", "kitchen", openable=True, is_open=False, contents=["mug 1"]),
        Receptacle("drawer 1", "kitchen", openable=True, is_open=False, contents=["spoon 1"]),
        Receptacle("sinkbasin 1", "kitchen"),
        Receptacle("fridge 1", "kitchen", openable=True, is_open=False, contents=["egg 1"]),
        Receptacle("microwave 1", "kitchen", openable=True, is_open=False),
        Receptacle("diningtable 1", "dining room", contents=["bowl 1"]),
        Receptacle("sofa 1", "living room", contents=["remotecontrol 1"]),
        Receptacle("shelf 1", "living room", contents=["book 1", "vase 1"]),
    ]


class HouseholdEnv:
    """Rooms with receptacles and objects; one goal; 'Nothing happens.' for invalid commands.

    Commands: look, inventory, go to X, open X, close X, take X from Y, put X in/on Y,
    examine X, clean X with sinkbasin N, heat X with microwave N, cool X with fridge N.
    The agent carries at most one object.
    """

    def __init__(self, goal: Goal | None = None) -> None:
        self.goal = goal or Goal("mug 1", "clean", "diningtable 1")
        self.reset()
        if self.goal.item not in self._locate_all():
            raise ConfigError("goal.item", self.goal.item, "is not an object of the layout")
        if self.goal.target not in self.places:
            raise ConfigError("goal.target", self.goal.target, "is not a receptacle of the layout")
        if self.goal.state and self.goal.state not in STATE_WORDS.values():
            raise ConfigError("goal.state", self.goal.state, "use 'clean', 'hot', 'cold' or ''")

    # ----------------------------------------------------------------- state
    def reset(self) -> tuple[str, dict[str, Any]]:
        """Start over from the initial layout."""
        self.places = {r.name: r for r in default_layout()}
        self.location: str | None = None
        self.holding: str | None = None
        self.states: dict[str, set[str]] = {}
        self.done = False
        self.won = False
        self.moves = 0
        listing = ", ".join(f"a {name}" for name in self.places)
        observation = (
            f"You are in the middle of a house. Looking around you, you see {listing}.\n\n"
            f"Your task is to: {self.goal.describe()}."
        )
        return observation, self._info()

    def _info(self) -> dict[str, Any]:
        return {"admissible_commands": self.admissible_commands, "won": self.won}

    def _locate_all(self) -> dict[str, str]:
        return {item: r.name for r in self.places.values() for item in r.contents}

    def _here(self) -> Receptacle | None:
        return self.places.get(self.location) if self.location else None

    def _goal_met(self) -> bool:
        target = self.places[self.goal.target]
        in_place = self.goal.item in target.contents
        return in_place and (not self.goal.state or self.goal.state in self._state(self.goal.item))

    def _state(self, item: str) -> set[str]:
        return self.states.setdefault(item, set())

    # ------------------------------------------------------------- commands
    @property
    def admissible_commands(self) -> list[str]:
        """The commands that do something in the current state."""
        commands = ["look", "inventory"]
        commands += [f"go to {name}" for name in self.places if name != self.location]
        here = self._here()
        if here is not None:
            commands.append(f"examine {here.name}")
            if here.openable:
                commands.append(f"{'close' if here.is_open else 'open'} {here.name}")
            if here.is_open and self.holding is None:
                commands += [f"take {item} from {here.name}" for item in here.contents]
            if here.is_open and self.holding is not None:
                commands.append(f"put {self.holding} {here.preposition} {here.name}")
            for verb, kind in APPLIANCES.items():
                if self.holding is not None and here.kind == kind:
                    commands.append(f"{verb} {self.holding} with {here.name}")
        if self.holding is not None:
            commands.append(f"examine {self.holding}")
        return commands

    def step(self, action: str) -> tuple[str, float, bool, dict[str, Any]]:
        """Run one command; reward 1.0 and done when the goal is met."""
        if self.done:
            return "The episode is over.", 0.0, True, self._info()
        self.moves += 1
        command = " ".join(action.strip().lower().rstrip(".").split())
        observation = self._run(command)
        if self._goal_met():
            self.done = self.won = True
            return observation, 1.0, True, self._info()
        return observation, 0.0, False, self._info()

    def _run(self, command: str) -> str:
        if command == "look":
            return self._look()
        if command in ("inventory", "inv", "i"):
            if self.holding is None:
                return "You are not carrying anything."
            return f"You are carrying: {self.holding}."
        patterns = [
            (r"go to (.+)", self._go),
            (r"open (.+)", lambda name: self._toggle(name, True)),
            (r"close (.+)", lambda name: self._toggle(name, False)),
            (r"examine (.+)", self._examine),
        ]
        for pattern, handler in patterns:
            match = re.fullmatch(pattern, command)
            if match:
                return handler(match.group(1))
        match = re.fullmatch(r"take (.+) from (.+)", command)
        if match:
            return self._take(match.group(1), match.group(2))
        match = re.fullmatch(r"put (.+) (?:in|on|in/on) (.+)", command)
        if match:
            return self._put(match.group(1), match.group(2))
        match = re.fullmatch(r"(clean|heat|cool) (.+) with (.+)", command)
        if match:
            return self._treat(match.group(1), match.group(2), match.group(3))
        return NOTHING_HAPPENS

    def _describe_contents(self, place: Receptacle) -> str:
        if place.openable and not place.is_open:
            return f"The {place.name} is closed."
        items = ", ".join(f"a {item}" for item in place.contents) or "nothing"
        return f"{place.preposition.capitalize()} the {place.name}, you see {items}."

    def _look(self) -> str:
        here = self._here()
        if here is None:
            return "You are in the middle of a house."
        return f"You are at the {here.name} in the {here.room}. " + self._describe_contents(here)

    def _go(self, name: str) -> str:
        place = self.places.get(name)
        if place is None or name == self.location:
            return NOTHING_HAPPENS
        self.location = name
        return f"You arrive at {name} in the {place.room}. " + self._describe_contents(place)

    def _toggle(self, name: str, opening: bool) -> str:
        here = self._here()
        if here is None or here.name != name or not here.openable or here.is_open == opening:
            return NOTHING_HAPPENS
        here.is_open = opening
        if not opening:
            return f"You close the {name}."
        return f"You open the {name}. " + self._describe_contents(here)

    def _examine(self, name: str) -> str:
        here = self._here()
        if here is not None and here.name == name:
            return self._describe_contents(here)
        visible = here.contents if here is not None and here.is_open else []
        if name == self.holding or name in visible:
            states = sorted(self._state(name))
            return f"This is a {name}." + (f" It is {' and '.join(states)}." if states else "")
        return NOTHING_HAPPENS

    def _take(self, item: str, source: str) -> str:
        here = self._here()
        if (
            here is None
            or here.name != source
            or not here.is_open
            or item not in here.contents
            or self.holding is not None
        ):
            return NOTHING_HAPPENS
        here.contents.remove(item)
        self.holding = item
        return f"You pick up the {item} from the {source}."

    def _put(self, item: str, target: str) -> str:
        here = self._here()
        if here is None or here.name != target or not here.is_open or self.holding != item:
            return NOTHING_HAPPENS
        here.contents.append(item)
        self.holding = None
        return f"You put the {item} {here.preposition} the {target}."

    def _treat(self, verb: str, item: str, appliance: str) -> str:
        here = self._here()
        if (
            here is None
            or here.name != appliance
            or here.kind != APPLIANCES[verb]
            or self.holding != item
        ):
            return NOTHING_HAPPENS
        self._state(item).add(STATE_WORDS[verb])
        past = {"clean": "cleaned", "heat": "heated", "cool": "cooled"}[verb]
        return f"You {verb} the {item} using the {appliance}. The {item} is {past}."
