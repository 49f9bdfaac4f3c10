"""Test and benchmark support: a loopback OpenAI-compatible server. Never used by the app itself."""
