from django.dispatch import Signal

#: Sent by ``Source.merge_into()`` inside its transaction, once citations have moved, with
#: ``source`` (merged), ``into`` (the survivor), ``sections`` (the pks of the sections that cited
#: ``source``) and ``user``. The articles app rewrites the marks that name the merged key.
source_merged = Signal()
