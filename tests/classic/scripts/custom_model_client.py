"""A custom model client exactly as the 0.2 'custom model client' guide shows it."""

from types import SimpleNamespace

import convogen as autogen
from convogen import AssistantAgent, UserProxyAgent


class CustomModelClient:
    def __init__(self, config, **kwargs):
        print(f"CustomModelClient config: {config['model']}")
        self.model = config["model"]

    def create(self, params):
        num_of_responses = params.get("n", 1)
        response = SimpleNamespace()
        response.choices = []
        response.model = self.model
        last = params["messages"][-1]["content"]
        for _ in range(num_of_responses):
            text = "TERMINATE" if "done" in last else f"echo: {last}"
            choice = SimpleNamespace()
            choice.message = SimpleNamespace()
            choice.message.content = text
            choice.message.function_call = None
            response.choices.append(choice)
        return response

    def message_retrieval(self, response):
        return [choice.message.content for choice in response.choices]

    def cost(self, response) -> float:
        response.cost = 0
        return 0

    @staticmethod
    def get_usage(response):
        return {}


config_list = [
    {"model": "my-local-model", "model_client_cls": "CustomModelClient", "device": "cpu"}
]
assistant = AssistantAgent("assistant", llm_config={"config_list": config_list})
assistant.register_model_client(model_client_cls=CustomModelClient)
user_proxy = UserProxyAgent(
    "user_proxy",
    code_execution_config=False,
    human_input_mode="NEVER",
    max_consecutive_auto_reply=1,
)
res = user_proxy.initiate_chat(assistant, message="Write python code to print hello world")
print("REPLY", res.chat_history[1]["content"])

client = autogen.OpenAIWrapper(config_list=config_list)
client.register_model_client(model_client_cls=CustomModelClient)
response = client.create(messages=[{"role": "user", "content": "done"}])
print("DIRECT", client.extract_text_or_completion_object(response)[0])
print("ATTR", response.choices[0].message.content)
