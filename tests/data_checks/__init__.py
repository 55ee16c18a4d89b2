"""Tests of data_checks/."""
