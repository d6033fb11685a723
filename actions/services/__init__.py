"""Writes to actions: every rule about progress, evidence and assurance lives in these modules, one per feature.

Views, the importer, the admin and tasks all call these functions; none re-checks the rules.
Each service runs inside one transaction and takes the acting user for the audit trail.
"""
