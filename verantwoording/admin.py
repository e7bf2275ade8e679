"""Evidence bundles and inzageverzoeken are not in the admin: they are made, served and recorded
through the policy layer (``verantwoording.policy``) and the app's own pages only — the admin
would bypass the need-to-know of who may download which export."""
