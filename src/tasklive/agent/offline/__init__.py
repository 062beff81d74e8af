"""The built-in offline model: a small grammar over plain English that calls the real task tools."""

from tasklive.agent.offline.model import MODEL_NAME, OfflineModel, build_offline_model

__all__ = ["MODEL_NAME", "OfflineModel", "build_offline_model"]
