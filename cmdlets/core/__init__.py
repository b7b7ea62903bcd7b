"""The machinery every cmdlet shares: manifests, binding, the HTTP core, errors, objects and hosts."""
