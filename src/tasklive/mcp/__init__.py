"""The task tools offered to other agents over the Model Context Protocol."""
