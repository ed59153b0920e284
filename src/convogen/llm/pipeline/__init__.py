"""The steps of one model call, each owning one concern; ``OpenAIWrapper`` composes them.

``prepare`` (templates, cache seed, filter, structured format) -> for each config entry, in
failover order (``failover``: retry rounds): ``cache_step`` (lookup, store) -> ``invoke``
(context-window check, interception, timeout) -> ``accept`` (parse, ``filter_func``).
A ``Slot`` is one config entry with its client and the capabilities it declares.
"""
