"""Our date formats per language (``FORMAT_MODULE_PATH``): dd-mm-jjjj in every language, from
``inburgering.core.weergave``. What a module here does not define comes from Django's own."""
