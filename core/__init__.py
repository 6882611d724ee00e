"""The bottom layer: plain helpers every app may use (French dates).

Nothing here imports a project module, so that ``home``, ``events`` and
``registrations`` can all rely on it without creating a circle.
"""
