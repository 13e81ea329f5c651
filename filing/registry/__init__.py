"""The filed list (备案名单): maker spaces filed by the ministry or a province, shown to everyone.

Entries come from filing decisions in the platform (``services.enter_filed_space``, called by
the reviews app when the deciding level files a space) and from lists published before the
platform, kept as files in definitions/registry/ (the 17 spaces of 国科发高〔2016〕231号), loaded
by the migration 0002 and reloaded by ``manage.py load_registry``.

Decisions written down here:

- The list's filters are a plain Django form (``forms.RegistryFilterForm``), not django-filter:
  eight optional filters and one search box need no extra dependency, and the form keeps the
  choices (years and batches present in the list, first-level catalogue items) in one place.
- The list is ordered national before provincial, the latest year first, then the batches of a
  year in order, then 序号. Batch labels are Chinese ordinals that do not sort as text, so each
  entry keeps ``batch_number`` derived from its label (``batches.batch_number``).
- An entry made from an application in a rehearsal copy of a call (``is_rehearsal``) is listed
  like any other but marked 演练 on both pages, as the home page marks rehearsal calls: the
  demo and the end-to-end tests walk a rehearsal from submission to the filed list. Should a
  production site rather hide them, ``views`` is the one place to exclude ``is_rehearsal``.
- Entries hold public summary facts only; the public pages never read the organisation or its
  people, so no telephone number, e-mail address or person's name can reach them.
"""
