"""Helpers shared by every records app (outreach, training, enforcement, support): XLSX in and
out (xlsx.py) and list filters read from a query string (filters.py). Not an app: no models."""
