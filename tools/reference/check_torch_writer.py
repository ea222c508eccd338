"""Loads the .pt files MoE Scope's Java TorchWriter wrote with torch itself, weights_only=True (the safe loader
SGLang's --init-expert-location path and any careful user use), and records what torch read.

    mvn -B -q -pl model -am -Dtest=TorchWriterTest -Dsurefire.failIfNoSpecifiedTests=false test   # writes them
    python tools/reference/check_torch_writer.py model/target/torchwriter model/src/test/resources/recording

copies the two files next to the JSON result in the fixtures directory; TorchWriterTest then checks that the
writer still writes those bytes and that torch's values equal the plan and counts it wrote.
"""
import json
import shutil
import sys
from pathlib import Path

import torch


def read(path: Path, key: str) -> dict:
    data = torch.load(path, weights_only=True)
    assert isinstance(data, dict) and list(data) == [key], data
    t = data[key]
    return {"key": key, "dtype": str(t.dtype), "shape": list(t.shape), "values": t.tolist(), "weights_only": True}


def main() -> None:
    src, dst = Path(sys.argv[1]), Path(sys.argv[2])
    result = {
        "torch": torch.__version__,
        "plan": read(src / "written_by_java_plan.pt", "physical_to_logical_map"),
        "counts": read(src / "written_by_java_counts.pt", "logical_count"),
    }
    for name in ("written_by_java_plan.pt", "written_by_java_counts.pt"):
        shutil.copyfile(src / name, dst / name)
    (dst / "written_by_java.torch.json").write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
