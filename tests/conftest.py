from pathlib import Path

import pytest

from converter import load_mappings

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


@pytest.fixture(scope="session")
def mappings():
    return load_mappings()


@pytest.fixture
def sample_path():
    return lambda name: SAMPLES / name
