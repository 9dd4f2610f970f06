"""OSSGameForge API: the backend service for the AI-Powered Game Creation Suite."""
