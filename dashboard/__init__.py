"""Scenario dashboard for northwest Syria: a pure core (no Streamlit) plus a thin Streamlit UI."""
