"""Operating PCMD: backups of the database and the uploaded files, and their restore.

Owns: no model. backup.py (backup_create, archive reading and checking, backup_restore),
keys.py (the fingerprint of the seal keys recorded in a backup), faults.py (the test-only pause
point that the fault tests kill a process at).
Entry points: `pcmd backup OUT`, `pcmd restore IN [--for-real]`.
Invariants: a backup never holds a key (only a fingerprint of the keys in force); restore checks
every checksum before it touches anything and is a dry run unless --for-real.
Not here: the keys themselves (pcmd.sealing.keys), running jobs (pcmd.jobs).
"""
