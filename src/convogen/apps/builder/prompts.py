"""The builder model's prompts and the texts given to built agents.

Each template keeps AutoGen 0.2's placeholder names, so a subclass or instance of
``AgentBuilder`` can override any of them with its own wording.
"""

DEFAULT_PROXY_AUTO_REPLY = (
    "The last message has no code for me to run. The group chat manager should let another "
    'member continue. To end the conversation, a member replies with only "TERMINATE".'
)

GROUP_CHAT_DESCRIPTION = """# Working in a group chat
You are one member of a group chat of experts, run by a group chat manager. Read what the
other members and you said before, stay on their topic and answer them.

**Your role**: {name}
Members of the group: {members}{user_proxy_desc}

Once the task is done and the result has been checked and the other members agree, end the
conversation by replying with only "TERMINATE".

# Your profile
{sys_msg}
"""

DEFAULT_DESCRIPTION = """## Your role
[the expert's name and what they are skilled at]

## Task and skills
- [the task]
- [the skills it needs]
- [(optional) anything else the expert should know]
"""

CODING_AND_TASK_SKILL_INSTRUCTION = """## How to solve the task
- Work step by step when that helps.
- Check every answer you find; give evidence, such as a test case, when you can.
- Base every reply on facts that were given or that you established.

## How to check
**Treat the other members' answers as wrong until they give clear enough evidence.**
- Reason backwards from the answer, one step at a time.
- Write test cases for the general task.

## How to use code
- Suggest python code (in a python code block) or a shell script (in a sh code block) for
  the Computer_terminal to run; always name the language of the block.
- Install a missing python package with `pip install` in a sh block.
- Only suggest complete code blocks meant to be run as they are; the Computer_terminal
  cannot edit them.
- Print the results you need, read what the Computer_terminal returns, and when it shows an
  error, fix the code and send it again in full.
"""

CODING_PROMPT = """Would programming (calling an API or a tool from code) be needed to solve
the task below, or make it noticeably easier?

TASK: {task}

Answer with YES or NO only.
"""

AGENT_NAME_PROMPT = """# Your task
Name at most {max_agents} experts who together can fulfil the request below.

## Request
{task}

# Answer format
- Each name has the form [skill]_Expert.
- Reply with the names only, separated by commas.
Example: Python_Expert, Math_Expert"""

AGENT_SYS_MSG_PROMPT = """# Your goal
Write the profile of the expert named below for the task below, by filling in the template.
Make it clear and unambiguous, and include everything the expert needs to know.

# Task
{task}

# Expert name
{position}

# Template
{default_sys_msg}
"""

AGENT_DESCRIPTION_PROMPT = """# Your goal
Sum up the profile of the expert below in one sentence.

# Expert name
{position}

# Profile
{sys_msg}
"""

AGENT_SEARCHING_PROMPT = """# Your goal
Which of the experts below should take part in the task below?

# Task
{task}

# Experts
{agent_list}

# Answer format
- Choose experts whose name and profile fit the task.
- Choose fewer than {max_agents}; fewer is better.
- Reply with the chosen names only, separated by commas, "_" instead of spaces.
  Example: Product_manager,Programmer
"""

AGENT_SELECTION_PROMPT = """# Your goal
For each skill below, pick the expert from the pool who has it.

# Skills
{skills}

# Pool of experts ("name: description")
{expert_pool}

# Answer format
```json
{{
    "description of skill 1": "expert_name: expert_description",
    "description of skill 2": "None"
}}
```
Use "None" for a skill that no expert in the pool has.
"""
