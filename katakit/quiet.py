"""Keep the learner's screen free of hub traffic, progress bars, load reports and warnings,
unless the learner asks for them with `pytest --katas-library-output`.

`silence_environment()` must run before transformers is imported (its logging reads the
environment once); `silence_libraries()` after, to reset loggers a library configured itself.
"""

import logging
import os
import warnings

QUIET_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "TRANSFORMERS_VERBOSITY": "error",
    "TRANSFORMERS_NO_ADVISORY_WARNINGS": "1",
    "TOKENIZERS_PARALLELISM": "false",
    # The zoo's models are tiny: thread pools cost more than they give, and on a shared 2-core
    # machine two spinning pools made the suite 3-5x slower.
    "OMP_NUM_THREADS": "1",
}


def silence_environment() -> None:
    for key, value in QUIET_ENV.items():
        os.environ.setdefault(key, value)
    # Offline is forced, not defaulted: nothing in this course may reach a hub.
    os.environ["HF_HUB_OFFLINE"] = os.environ["TRANSFORMERS_OFFLINE"] = "1"


def let_libraries_speak() -> None:
    """The opposite, for a learner who asks (`--katas-library-output`): warnings, load reports, progress bars."""
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_warning()
    hf_logging.enable_progress_bar()


def silence_libraries() -> None:
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    for name in ("transformers", "huggingface_hub", "torch"):
        logging.getLogger(name).setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", module="transformers")
    warnings.filterwarnings("ignore", module="huggingface_hub")
