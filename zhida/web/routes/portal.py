"""Routes of this area (filled in as its domain service lands)."""

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
