"""The documents of a report: the official DOCX (Decree 30/2020 layout) and the XLSX annex.

Entry points: docx.report_docx(), xlsx.report_xlsx(); both take a content.ReportDocument.
"""
