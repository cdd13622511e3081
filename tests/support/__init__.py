"""Test support modules shared between test files (servers, generators, fixtures)."""
