"""The platform under every programme: what two or more programmes share.

- ``audit``: the hash-chained audit log every state change of every programme is written to;
- ``outbox`` and ``senders``: messages (SMS, e-mail) queued in the database and sent once;
- ``calendar``: working days (statutory holidays out, adjusted working weekends in) and
  deadlines counted in working days with paused intervals (stop-the-clock);
- ``workflow``: processes declared as states, transitions, roles, guards and actions.

The platform imports only the ground modules (``zhida.db``, ``zhida.config``,
``zhida.errors``, ``zhida.roles``, ``zhida.money``, ``zhida.identifiers``), never a programme.
"""
