"""Who may pass a route: each route's declared roles (declared.py), checked before its handler.

The rules about records — who may see or change which provider, need, event … — live next to
each feature's service, in catalog/<feature>/permissions.py, with the shared role predicates in
catalog/access.py.
"""
