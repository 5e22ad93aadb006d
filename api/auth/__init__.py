"""Who is calling and what they may do: sessions, tokens, roles, CSRF, rate limits.

Every route declares one access rule (`api.auth.access.Rule`) as a dependency; the rule is
written into the OpenAPI document as `x-argmap-access`, and a test generated from that document
checks every operation for every kind of caller.
"""
