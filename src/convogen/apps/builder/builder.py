"""``AgentBuilder``: a builder model designs a team of expert agents for a task.

``build`` asks the builder model, in turn, for the experts' names, each expert's profile
(system message), each profile's one-line description and, unless told, whether the task
needs code; then it creates one ``AssistantAgent`` per expert on the agent model (and a
``Computer_terminal`` user proxy that runs code when coding is on). The configuration is
kept in ``cached_configs``, which ``save`` writes and ``load`` builds again without a model.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import logging
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from convogen.agents.assistant import AssistantAgent
from convogen.agents.conversable import ConversableAgent
from convogen.agents.user_proxy import UserProxyAgent
from convogen.apps.builder import library, prompts
from convogen.errors import ChatError, ConfigError
from convogen.llm.config_list import config_list_from_json
from convogen.llm.wrapper import OpenAIWrapper
from convogen.messages import Message, content_str

logger = logging.getLogger(__name__)

DEFAULT_CODE_EXECUTION_CONFIG: dict[str, Any] = {
    "last_n_messages": 1,
    "work_dir": "groupchat",
    "use_docker": False,
    "timeout": 10,
}
# Keys of an agent config that are not constructor arguments of the agent class.
_BUILDER_KEYS = ("model", "name", "system_message", "description", "model_path", "tags")
_REQUIRED_CONFIGS = ("coding", "default_llm_config", "code_execution_config")
_SELECTION_ATTEMPTS = 3
_LIST_MARKER = re.compile(r"^\s*(?:[-*\u2022]|\d+[.)])\s*")


class BuilderConfigError(ConfigError, RuntimeError):
    """No config list entry for the builder or agent model (a RuntimeError, as in 0.2)."""


class AgentBuilder:
    """Builds a team of agents for a task with any model of a config list."""

    online_server_name = "online"
    DEFAULT_PROXY_AUTO_REPLY = prompts.DEFAULT_PROXY_AUTO_REPLY
    GROUP_CHAT_DESCRIPTION = prompts.GROUP_CHAT_DESCRIPTION
    DEFAULT_DESCRIPTION = prompts.DEFAULT_DESCRIPTION
    CODING_AND_TASK_SKILL_INSTRUCTION = prompts.CODING_AND_TASK_SKILL_INSTRUCTION
    CODING_PROMPT = prompts.CODING_PROMPT
    AGENT_NAME_PROMPT = prompts.AGENT_NAME_PROMPT
    AGENT_SYS_MSG_PROMPT = prompts.AGENT_SYS_MSG_PROMPT
    AGENT_DESCRIPTION_PROMPT = prompts.AGENT_DESCRIPTION_PROMPT
    AGENT_SEARCHING_PROMPT = prompts.AGENT_SEARCHING_PROMPT
    AGENT_SELECTION_PROMPT = prompts.AGENT_SELECTION_PROMPT

    def __init__(
        self,
        config_file_or_env: str = "OAI_CONFIG_LIST",
        config_file_location: str = "",
        builder_model: str | Sequence[str] = (),
        agent_model: str | Sequence[str] = (),
        builder_model_tags: Sequence[str] = (),
        agent_model_tags: Sequence[str] = (),
        max_agents: int = 5,
    ) -> None:
        if isinstance(max_agents, bool) or not isinstance(max_agents, int) or max_agents < 1:
            raise ConfigError("max_agents", max_agents, "must be an integer >= 1")
        self.config_file_or_env = config_file_or_env
        self.config_file_location = config_file_location
        self.builder_model = OpenAIWrapper(
            config_list=self._config_list(_as_list(builder_model), builder_model_tags, "builder")
        )
        self.agent_model: list[str] = _as_list(agent_model)
        self.agent_model_tags: list[str] = list(agent_model_tags)
        self.max_agents = max_agents
        self.building_task: str | None = None
        self.agent_configs: list[dict[str, Any]] = []
        self.open_ports: list[str] = []
        self.agent_procs: dict[str, Any] = {}
        self.agent_procs_assign: dict[str, tuple[ConversableAgent, str]] = {}
        self.cached_configs: dict[str, Any] = {}

    def _config_list(
        self, models: list[str], tags: Sequence[str], who: str
    ) -> list[dict[str, Any]]:
        """The entries of the config list for ``models`` and ``tags`` (all entries if neither)."""
        filter_dict: dict[str, Any] = {}
        if models:
            filter_dict["model"] = models
        if tags:
            filter_dict["tags"] = list(tags)
        config_list = config_list_from_json(
            self.config_file_or_env, self.config_file_location, filter_dict=filter_dict
        )
        if not config_list:
            raise BuilderConfigError(
                f"{who} model",
                {"model": models, "tags": list(tags)},
                f"no entry of {self.config_file_or_env} matches it",
            )
        return config_list

    def set_builder_model(self, model: str | Sequence[str]) -> None:
        """Use the config list's entries for ``model`` as the builder model."""
        self.builder_model = OpenAIWrapper(
            config_list=self._config_list(_as_list(model), (), "builder")
        )

    def set_agent_model(self, model: str | Sequence[str]) -> None:
        """Build later agents on ``model`` (an entry of the config list)."""
        self.agent_model = _as_list(model)

    # ---------------------------------------------------------------- build
    def build(
        self,
        building_task: str,
        default_llm_config: dict[str, Any],
        coding: bool | None = None,
        code_execution_config: dict[str, Any] | None = None,
        use_oai_assistant: bool = False,
        user_proxy: ConversableAgent | None = None,
        max_agents: int | None = None,
        **kwargs: Any,
    ) -> tuple[list[ConversableAgent], dict[str, Any]]:
        """Design agents for ``building_task`` with the builder model and create them."""
        _no_extra(kwargs)
        self.building_task = building_task
        names = self._agent_names(building_task, max_agents or self.max_agents)
        profiles = [
            self._ask(
                self.AGENT_SYS_MSG_PROMPT.format(
                    task=building_task, position=name, default_sys_msg=self.DEFAULT_DESCRIPTION
                )
            )
            for name in names
        ]
        summaries = [
            self._ask(self.AGENT_DESCRIPTION_PROMPT.format(position=name, sys_msg=profile))
            for name, profile in zip(names, profiles, strict=True)
        ]
        configs = [
            self._agent_config(*fields) for fields in zip(names, profiles, summaries, strict=True)
        ]
        if coding is None:
            coding = self._needs_code(building_task)
        self._cache(building_task, configs, coding, default_llm_config, code_execution_config)
        return self._build_agents(use_oai_assistant, user_proxy=user_proxy)

    def _agent_config(self, name: str, system_message: str, description: str) -> dict[str, Any]:
        return {
            "name": name,
            "model": list(self.agent_model),
            "tags": list(self.agent_model_tags),
            "system_message": system_message,
            "description": description,
        }

    def _ask(self, prompt: str) -> str:
        """The builder model's answer to one prompt."""
        response = self.builder_model.create(messages=[{"role": "user", "content": prompt}])
        answer = response.choices[0].message.content
        if not answer:
            raise ChatError(f"the builder model gave no answer to: {prompt[:80]!r}")
        return str(answer)

    def _agent_names(self, task: str, max_agents: int) -> list[str]:
        """The experts the builder model names (commas or lines; list markers are dropped)."""
        answer = self._ask(self.AGENT_NAME_PROMPT.format(task=task, max_agents=max_agents))
        names: list[str] = []
        for raw in re.split(r"[,\n]", answer):
            name = _LIST_MARKER.sub("", raw).strip().strip(".'\"`*").strip().replace(" ", "_")
            if name and name not in names:
                names.append(name)
        if not names:
            raise ChatError(f"the builder model named no experts: {answer!r:.200}")
        logger.info("experts for the task: %s", names)
        return names[:max_agents]

    def _needs_code(self, task: str) -> bool:
        return self._ask(self.CODING_PROMPT.format(task=task)).strip().upper().startswith("YES")

    def _cache(
        self,
        task: str,
        agent_configs: list[dict[str, Any]],
        coding: bool,
        default_llm_config: dict[str, Any],
        code_execution_config: dict[str, Any] | None,
    ) -> None:
        self.cached_configs.update(
            {
                "building_task": task,
                "agent_configs": agent_configs,
                "coding": coding,
                "default_llm_config": default_llm_config,
                "code_execution_config": code_execution_config
                or dict(DEFAULT_CODE_EXECUTION_CONFIG),
            }
        )
        check_configs(self.cached_configs)

    # ----------------------------------------------------- create agents
    def _build_agents(
        self, use_oai_assistant: bool = False, user_proxy: ConversableAgent | None = None
    ) -> tuple[list[ConversableAgent], dict[str, Any]]:
        """Create the agents of ``cached_configs`` (and the code runner when coding is on)."""
        agent_configs = self.cached_configs["agent_configs"]
        members = [config["name"] for config in agent_configs]
        for config in agent_configs:
            self._create_agent(
                dict(config), members, self.cached_configs["default_llm_config"], use_oai_assistant
            )
        agents = [agent for agent, _ in self.agent_procs_assign.values()]
        if self.cached_configs["coding"] is True:
            agents.append(user_proxy or self._code_runner())
        return agents, dict(self.cached_configs)

    def _code_runner(self) -> UserProxyAgent:
        return UserProxyAgent(
            name="Computer_terminal",
            is_termination_msg=_is_bare_terminate,
            code_execution_config=self.cached_configs["code_execution_config"],
            human_input_mode="NEVER",
            default_auto_reply=self.DEFAULT_PROXY_AUTO_REPLY,
        )

    def _create_agent(
        self,
        agent_config: dict[str, Any],
        member_name: list[str],
        llm_config: dict[str, Any],
        use_oai_assistant: bool = False,
    ) -> ConversableAgent:
        """One group-chat member from its config, on its model's config list entries."""
        name = agent_config["name"]
        config_list = self._config_list(
            _as_list(agent_config.get("model", [])), agent_config.get("tags", []), f"agent {name}"
        )
        current = {**llm_config, "config_list": config_list}
        system_message = agent_config["system_message"]
        agent: ConversableAgent
        if use_oai_assistant:
            agent = _assistant_api_agent(name, current, system_message)
        else:
            agent = self._member(agent_config, current, member_name)
        self.agent_procs_assign[name] = (agent, self.online_server_name)
        return agent

    def _member(
        self, agent_config: dict[str, Any], llm_config: dict[str, Any], members: list[str]
    ) -> ConversableAgent:
        agent_class = _agent_class(agent_config.get("model_path"))
        extra = {k: v for k, v in agent_config.items() if k not in _BUILDER_KEYS}
        agent = agent_class(
            name=agent_config["name"],
            llm_config=llm_config,
            description=agent_config["description"],
            **extra,
        )
        profile = agent_config["system_message"]
        if profile:
            profile = f"{profile}\n\n{self.CODING_AND_TASK_SKILL_INSTRUCTION}"
        else:
            profile = agent.system_message
        runner = self.cached_configs.get("coding") is True
        agent.update_system_message(
            self.GROUP_CHAT_DESCRIPTION.format(
                name=agent_config["name"],
                members=", ".join(members),
                user_proxy_desc=(
                    "\nThe group also has a Computer_terminal that runs python and shell code."
                    if runner
                    else ""
                ),
                sys_msg=profile,
            )
        )
        return agent

    # ------------------------------------------------------------ clear
    def clear_agent(self, agent_name: str, recycle_endpoint: bool = True) -> None:
        """Forget the built agent ``agent_name`` (every agent runs online: no endpoint to free)."""
        if agent_name not in self.agent_procs_assign:
            raise ConfigError(
                "agent_name", agent_name, f"no such agent: {list(self.agent_procs_assign)}"
            )
        del self.agent_procs_assign[agent_name]
        logger.info("agent %s cleared", agent_name)

    def clear_all_agents(self, recycle_endpoint: bool = True) -> None:
        """Forget every built agent."""
        for agent_name in list(self.agent_procs_assign):
            self.clear_agent(agent_name, recycle_endpoint)

    # ------------------------------------------------------ save / load
    def save(self, filepath: str | None = None) -> str:
        """Write ``cached_configs`` as JSON (default ``./save_config_<md5 of task>.json``)."""
        if not self.cached_configs:
            raise ConfigError("cached_configs", {}, "nothing was built yet; call build first")
        if filepath is None:
            task = str(self.cached_configs["building_task"])
            filepath = f"./save_config_{hashlib.md5(task.encode('utf-8')).hexdigest()}.json"
        Path(filepath).write_text(json.dumps(self.cached_configs, indent=4), encoding="utf-8")
        return filepath

    def load(
        self,
        filepath: str | None = None,
        config_json: str | None = None,
        use_oai_assistant: bool = False,
        **kwargs: Any,
    ) -> tuple[list[ConversableAgent], dict[str, Any]]:
        """Build the agents of a saved configuration (a file or JSON) without the builder model."""
        if filepath is not None:
            configs = _read_json(Path(filepath).read_text(encoding="utf-8"), "filepath")
        elif config_json is not None:
            configs = _read_json(config_json, "config_json")
        else:
            raise ConfigError("filepath", None, "give the saved file or config_json")
        check_configs(configs)
        if kwargs.get("code_execution_config") is not None:
            configs["code_execution_config"] = kwargs.pop("code_execution_config")
        user_proxy = kwargs.pop("user_proxy", None)
        _no_extra(kwargs)
        self.building_task = configs.get("building_task")
        self.cached_configs.update(
            {
                key: configs.get(key)
                for key in ("building_task", "agent_configs", *_REQUIRED_CONFIGS)
            }
        )
        return self._build_agents(use_oai_assistant, user_proxy=user_proxy)

    # ------------------------------------------------------- library
    def build_from_library(
        self,
        building_task: str,
        library_path_or_json: str,
        default_llm_config: dict[str, Any],
        top_k: int = 3,
        coding: bool | None = None,
        code_execution_config: dict[str, Any] | None = None,
        use_oai_assistant: bool = False,
        embedding_model: str | None = "all-mpnet-base-v2",
        user_proxy: ConversableAgent | None = None,
        **kwargs: Any,
    ) -> tuple[list[ConversableAgent], dict[str, Any]]:
        """Pick agents for the task from a library (new ones for skills it lacks) and create them.

        Candidates are the ``top_k`` library agents closest to each line of the task (packaged
        MiniLM embeddings; ``embedding_model="hashing"`` needs no model); the builder model then
        matches skills to candidates, and an expert is built for each unmatched skill.
        """
        _no_extra(kwargs)
        entries = library.load_library(library_path_or_json)
        embedder = library.embedder_for(embedding_model)
        candidates = library.recall(building_task, entries, top_k, embedder)
        selection = self._select(building_task, candidates)
        chosen = self._chosen_configs(selection, candidates, default_llm_config, use_oai_assistant)
        if coding is None:
            coding = self._needs_code(building_task)
        self.building_task = building_task
        self._cache(building_task, chosen, coding, default_llm_config, code_execution_config)
        return self._build_agents(use_oai_assistant, user_proxy=user_proxy)

    def _select(self, task: str, candidates: list[dict[str, Any]]) -> dict[str, str]:
        pool = [f"{c['name']}: {c['description']}" for c in candidates]
        prompt = self.AGENT_SELECTION_PROMPT.format(
            skills=task, expert_pool=pool, max_agents=self.max_agents
        )
        problem: ValueError | None = None
        for _ in range(_SELECTION_ATTEMPTS):
            try:
                return library.parse_selection(self._ask(prompt))
            except ValueError as exc:
                problem = exc
        raise ChatError(f"no valid selection after {_SELECTION_ATTEMPTS} attempts: {problem}")

    def _chosen_configs(
        self,
        selection: dict[str, str],
        candidates: list[dict[str, Any]],
        default_llm_config: dict[str, Any],
        use_oai_assistant: bool,
    ) -> list[dict[str, Any]]:
        chosen: list[dict[str, Any]] = []
        for skill, profile in selection.items():
            if profile.strip() == "None":
                _, built = self.build(skill, dict(default_llm_config), coding=False, max_agents=1)
                new_config = built["agent_configs"][0]
                self.clear_agent(new_config["name"])
                chosen.append(new_config)
                continue
            name, _, description = (part.strip() for part in profile.partition(":"))
            for candidate in candidates:
                same = candidate["name"] == name and candidate["description"] == description
                if same and candidate not in chosen:
                    chosen.append(dict(candidate))
        return chosen


def check_configs(configs: dict[str, Any]) -> None:
    """Raise ConfigError naming the first field a saved build configuration lacks."""
    for key in _REQUIRED_CONFIGS:
        if configs.get(key) is None:
            raise ConfigError(key, None, "missing from the build configuration")
    for index, agent in enumerate(configs.get("agent_configs") or []):
        for key in ("name", "system_message", "description"):
            if agent.get(key) is None:
                raise ConfigError(f"agent_configs[{index}].{key}", None, "missing")


def _as_list(model: str | Sequence[str]) -> list[str]:
    return [model] if isinstance(model, str) else list(model)


def _no_extra(kwargs: dict[str, Any]) -> None:
    if kwargs:
        raise ConfigError(next(iter(kwargs)), kwargs[next(iter(kwargs))], "unknown argument")


def _read_json(text: str, field: str) -> dict[str, Any]:
    try:
        configs = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(field, text[:80], f"invalid JSON: {exc}") from exc
    if not isinstance(configs, dict):
        raise ConfigError(field, text[:80], "must hold a JSON object")
    return configs


def _is_bare_terminate(message: Message) -> bool:
    return content_str(message.get("content")).strip() in ("TERMINATE", "TERMINATE.")


def _agent_class(model_path: str | None) -> type[ConversableAgent]:
    """The agent class named by ``model_path`` ("package/module/Class"), else AssistantAgent."""
    if not model_path:
        return AssistantAgent
    module_path, _, class_name = model_path.replace("/", ".").rpartition(".")
    try:
        found = getattr(importlib.import_module(module_path), class_name)
    except (ImportError, AttributeError, ValueError) as exc:
        raise ConfigError("model_path", model_path, f"cannot be imported: {exc}") from exc
    if not (isinstance(found, type) and issubclass(found, ConversableAgent)):
        raise ConfigError("model_path", model_path, "must name a ConversableAgent subclass")
    agent_class: type[ConversableAgent] = found
    return agent_class


def _assistant_api_agent(name: str, llm_config: dict[str, Any], instructions: str) -> Any:
    """An agent on the OpenAI Assistants API, where convogen provides one."""
    try:
        module = importlib.import_module("convogen.agentchat.contrib.gpt_assistant_agent")
    except ImportError as exc:
        raise ConfigError(
            "use_oai_assistant", True, "the GPT assistant agent is not available in convogen"
        ) from exc
    return module.GPTAssistantAgent(
        name=name,
        llm_config={**llm_config, "assistant_id": None},
        instructions=instructions,
        overwrite_instructions=False,
    )
