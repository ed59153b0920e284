"""Classic ``autogen.oai.openai_utils``: config lists, keys and Assistants API helpers."""

from convogen.llm.assistants import (
    create_gpt_assistant,
    create_gpt_vector_store,
    detect_gpt_assistant_api_version,
    retrieve_assistants_by_name,
    update_gpt_assistant,
)
from convogen.llm.config_list import (
    DEFAULT_AZURE_API_VERSION,
    NON_CACHE_KEY,
    config_list_from_dotenv,
    config_list_from_json,
    config_list_from_models,
    config_list_gpt4_gpt35,
    config_list_openai_aoai,
    filter_config,
    get_config,
    get_config_list,
    get_key,
    is_valid_api_key,
)
from convogen.llm.pricing import PRICE_PER_1K as OAI_PRICE1K

__all__ = [
    "DEFAULT_AZURE_API_VERSION",
    "NON_CACHE_KEY",
    "OAI_PRICE1K",
    "config_list_from_dotenv",
    "config_list_from_json",
    "config_list_from_models",
    "config_list_gpt4_gpt35",
    "config_list_openai_aoai",
    "create_gpt_assistant",
    "create_gpt_vector_store",
    "detect_gpt_assistant_api_version",
    "filter_config",
    "get_config",
    "get_config_list",
    "get_key",
    "is_valid_api_key",
    "retrieve_assistants_by_name",
    "update_gpt_assistant",
]
