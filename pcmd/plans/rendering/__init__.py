"""Writing plans back out as documents (DOCX in the layout of Decree 30/2020)."""
