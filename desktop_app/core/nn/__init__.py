"""The numpy training engine: network, optimizers, schedules, training loop, save/load."""

from .build import OPTIMIZER_ARGS, build_model
from .network import Network
from .optimizers import OPTIMIZERS, SGD, Adam, Momentum, Optimizer, RMSprop, make_optimizer
from .saving import load_network, save_network
from .schedules import ConstantLR, ExponentialDecay, InverseTimeDecay, StepDecay
from .training import EpochRecord, TrainResult, train

__all__ = [
    "OPTIMIZERS", "OPTIMIZER_ARGS", "SGD", "Adam", "ConstantLR", "EpochRecord", "ExponentialDecay",
    "InverseTimeDecay", "Momentum", "Network", "Optimizer", "RMSprop", "StepDecay",
    "TrainResult", "build_model", "load_network", "make_optimizer", "save_network", "train",
]
