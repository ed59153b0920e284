"""Calling the enhanced inference client directly (0.2 'enhanced inference' guide)."""

from convogen import OpenAIWrapper, config_list_from_json
from convogen.oai import OpenAIWrapper as OaiWrapper

assert OpenAIWrapper is OaiWrapper
config_list = config_list_from_json("OAI_CONFIG_LIST")
client = OpenAIWrapper(config_list=config_list, cache_seed=None)
response = client.create(messages=[{"role": "user", "content": "2+2="}])
print("TEXT", client.extract_text_or_completion_object(response)[0])
print("ATTR", response.choices[0].message.content)
print("MODEL", response.model)
print("USAGE", response.usage.prompt_tokens > 0, response.usage.completion_tokens > 0)
print("COST_IS_NUMBER", isinstance(response.cost, float))
summary = client.total_usage_summary
print("SUMMARY_HAS_TOTAL", "total_cost" in summary)
templated = client.create(
    context={"problem": "3+3"},
    messages=[{"role": "user", "content": "Solve {problem}"}],
    allow_format_str_template=True,
)
print("TEMPLATED", templated.choices[0].message.content)
