"""Training entry point for Azure ML runs (train.target: azure). tfaml trains locally with tfjs by default."""
import argparse

parser = argparse.ArgumentParser()
parser.add_argument("--data", required=True)
parser.add_argument("--epochs", type=int, default=5)
parser.add_argument("--out", required=True)
args = parser.parse_args()
print(f"would train on {args.data} for {args.epochs} epochs into {args.out}")
