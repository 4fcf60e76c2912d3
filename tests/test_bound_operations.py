"""The bound operation classes of the generated packages (templates endpoint_init/api_init).

Every endpoint module ``api/<tag>/<operation>.py`` has a method of the same name on
``api.<tag>.<Tag>Operations`` and ``Async<Tag>Operations``, with the parameters of the
module's ``sync`` minus ``client``, returning the success type only, and passing
``(module, expected, *path_args, **kwargs)`` to the caller it was built with.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import inspect
import json
import pkgutil
import subprocess
import sys
import textwrap
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest

GENERATED = "contentstack_client._generated"
# Both packages are committed; a missing one must fail the tests, not shrink them.
APIS = ["cda", "cma"]


@dataclass(frozen=True)
class Operation:
    api: str
    tag: str
    name: str

    @property
    def module_name(self) -> str:
        return f"{GENERATED}.{self.api}.api.{self.tag}.{self.name}"

    def __str__(self) -> str:
        return f"{self.api}.{self.tag}.{self.name}"


def _pascal(tag: str) -> str:
    return "".join(word[:1].upper() + word[1:] for word in tag.split("_"))


def _api_package(api: str) -> types.ModuleType:
    return importlib.import_module(f"{GENERATED}.{api}.api")


def _tags(api: str) -> list[str]:
    package = _api_package(api)
    return sorted(info.name for info in pkgutil.iter_modules(package.__path__) if info.ispkg)


def _operations() -> list[Operation]:
    found = []
    for api in APIS:
        for tag in _tags(api):
            tag_package = importlib.import_module(f"{GENERATED}.{api}.api.{tag}")
            for info in pkgutil.iter_modules(tag_package.__path__):
                found.append(Operation(api, tag, info.name))
    return sorted(found, key=str)


OPERATIONS = _operations()


def _classes(operation: Operation) -> tuple[type[Any], type[Any]]:
    package = importlib.import_module(f"{GENERATED}.{operation.api}.api.{operation.tag}")
    name = f"{_pascal(operation.tag)}Operations"
    sync_class: type[Any] = getattr(package, name)
    async_class: type[Any] = getattr(package, f"Async{name}")
    return sync_class, async_class


def _normalise(annotation: str) -> str:
    return ast.unparse(ast.parse(annotation, mode="eval"))


@cache
def _function_annotations(module_name: str, function: str) -> dict[str, str]:
    """Parameter and return annotations of a module-level function, as source text."""
    module = importlib.import_module(module_name)
    tree = ast.parse(inspect.getsource(module))
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == function:
            arguments = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
            found = {a.arg: ast.unparse(a.annotation) for a in arguments if a.annotation}
            if node.returns is not None:
                found["return"] = ast.unparse(node.returns)
            return found
    raise AssertionError(f"{module_name} has no function {function}")


def _reference_function(operation: Operation) -> str:
    module = importlib.import_module(operation.module_name)
    return "sync" if hasattr(module, "sync") else "sync_detailed"


def _runtime_classes(annotation: Any) -> set[Any]:
    """What an instance check of a value of type `annotation` would accept, flattened."""
    if annotation is None or annotation is type(None):
        return {type(None)}
    if annotation is Any:
        return {object}
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return set().union(*(_runtime_classes(arg) for arg in typing.get_args(annotation)))
    if origin is typing.Literal:
        return {type(value) for value in typing.get_args(annotation)}
    if origin is not None:
        return {origin}
    return {annotation}


def _union_members(annotation: Any) -> set[Any]:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return set(typing.get_args(annotation))
    return {type(None) if annotation is None else annotation}


class Recorder:
    """A fake caller: records each call and returns a sentinel."""

    def __init__(self) -> None:
        self.calls: list[tuple[Any, Any, tuple[Any, ...], dict[str, Any]]] = []
        self.result = object()

    def __call__(self, endpoint: Any, expected: Any, *args: Any, **kwargs: Any) -> Any:
        self.calls.append((endpoint, expected, args, kwargs))
        return self.result


class AsyncRecorder(Recorder):
    async def acall(self, endpoint: Any, expected: Any, *args: Any, **kwargs: Any) -> Any:
        return self(endpoint, expected, *args, **kwargs)


def _sample_arguments(
    signature: inspect.Signature,
) -> tuple[tuple[Any, ...], dict[str, Any], tuple[Any, ...], dict[str, Any]]:
    """Arguments giving every parameter a distinct sentinel, and required parameters only.

    Returns (args, kwargs) to send, and (args, kwargs) the caller must receive when only the
    required parameters are sent (the others at their defaults).
    """
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    required_args: list[Any] = []
    required_kwargs: dict[str, Any] = {}
    for parameter in list(signature.parameters.values())[1:]:  # self
        value = object()
        if parameter.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD:
            args.append(value)
            required_args.append(value)
        else:
            assert parameter.kind is inspect.Parameter.KEYWORD_ONLY, parameter
            kwargs[parameter.name] = value
            required = parameter.default is inspect.Parameter.empty
            required_kwargs[parameter.name] = value if required else parameter.default
    return tuple(args), kwargs, tuple(required_args), required_kwargs


def test_every_generated_api_has_operations() -> None:
    assert OPERATIONS
    for api in APIS:
        assert any(op.api == api for op in OPERATIONS), api


@pytest.mark.parametrize("operation", OPERATIONS, ids=str)
def test_method_signature_matches_sync(operation: Operation) -> None:
    module = importlib.import_module(operation.module_name)
    reference_name = _reference_function(operation)
    reference = inspect.signature(getattr(module, reference_name))
    reference_text = _function_annotations(operation.module_name, reference_name)
    expected_parameters = [p for p in reference.parameters.values() if p.name != "client"]
    assert "client" in reference.parameters

    for cls in _classes(operation):
        method = getattr(cls, operation.name)
        parameters = list(inspect.signature(method).parameters.values())
        assert parameters[0].name == "self"
        got = parameters[1:]
        assert [p.name for p in got] == [p.name for p in expected_parameters]
        for mine, theirs in zip(got, expected_parameters, strict=True):
            assert mine.kind == theirs.kind, mine.name
            assert mine.default is theirs.default or mine.default == theirs.default, mine.name
            assert isinstance(mine.annotation, str), mine.name
            assert _normalise(mine.annotation) == _normalise(reference_text[theirs.name]), mine.name


@pytest.mark.parametrize("operation", OPERATIONS, ids=str)
def test_method_returns_the_success_type(operation: Operation) -> None:
    module = importlib.import_module(operation.module_name)
    sync_class, async_class = _classes(operation)
    annotation = inspect.signature(getattr(sync_class, operation.name)).return_annotation
    assert isinstance(annotation, str)
    async_annotation = inspect.signature(getattr(async_class, operation.name)).return_annotation
    assert async_annotation == annotation
    # The endpoint module imports every model its responses use.
    success = eval(annotation, vars(module))
    error_model = getattr(
        importlib.import_module(f"{GENERATED}.{operation.api}.models"), "Error", None
    )
    assert error_model not in _union_members(success)
    if hasattr(module, "sync"):
        assert _union_members(success) <= _union_members(
            inspect.signature(module.sync).return_annotation
        )


@pytest.mark.parametrize("operation", OPERATIONS, ids=str)
def test_method_passes_everything_to_the_caller(operation: Operation) -> None:
    module = importlib.import_module(operation.module_name)
    sync_class, _ = _classes(operation)
    recorder = Recorder()
    bound = sync_class(recorder)
    method: Callable[..., Any] = getattr(bound, operation.name)
    signature = inspect.signature(getattr(sync_class, operation.name))
    args, kwargs, required_args, required_kwargs = _sample_arguments(signature)

    assert method(*args, **kwargs) is recorder.result
    sent = {k: v for k, v in required_kwargs.items() if v is kwargs[k]}
    assert method(*required_args, **sent) is recorder.result

    assert len(recorder.calls) == 2
    (endpoint, expected, got_args, got_kwargs), (_, _, got_required_args, got_required_kwargs) = (
        recorder.calls
    )
    assert endpoint is module
    assert got_args == args and all(a is b for a, b in zip(got_args, args, strict=True))
    assert got_kwargs.keys() == kwargs.keys()
    assert all(got_kwargs[k] is kwargs[k] for k in kwargs)
    assert got_required_args == required_args
    assert got_required_kwargs.keys() == required_kwargs.keys()
    assert all(got_required_kwargs[k] is required_kwargs[k] for k in required_kwargs)

    # `expected`: one class, or a tuple of classes, matching the declared success type.
    success = eval(signature.return_annotation, vars(module))
    classes = set(expected) if isinstance(expected, tuple) else {expected}
    assert all(isinstance(c, type) for c in classes), expected
    assert isinstance(expected, tuple) == (len(classes) > 1)
    assert classes == _runtime_classes(success)


@pytest.mark.parametrize("operation", OPERATIONS, ids=str)
async def test_async_method_awaits_the_caller(operation: Operation) -> None:
    module = importlib.import_module(operation.module_name)
    sync_class, async_class = _classes(operation)
    method = getattr(async_class, operation.name)
    assert inspect.iscoroutinefunction(method)
    assert inspect.signature(method) == inspect.signature(getattr(sync_class, operation.name))

    recorder = AsyncRecorder()
    sync_recorder = Recorder()
    args, kwargs, _, _ = _sample_arguments(inspect.signature(method))
    assert (
        await getattr(async_class(recorder.acall), operation.name)(*args, **kwargs)
        is recorder.result
    )
    getattr(sync_class(sync_recorder), operation.name)(*args, **kwargs)
    assert recorder.calls == sync_recorder.calls
    assert recorder.calls[0][0] is module


@pytest.mark.parametrize("operation", OPERATIONS, ids=str)
def test_method_docstring_is_the_endpoint_text(operation: Operation) -> None:
    module = importlib.import_module(operation.module_name)
    reference = inspect.getdoc(module.sync_detailed) or ""
    for cls in _classes(operation):
        doc = inspect.getdoc(getattr(cls, operation.name)) or ""
        # Summary and description: everything before the Args/Raises/Returns sections.
        text = reference.split("\n\nArgs:")[0].split("\n\nRaises:")[0].strip()
        if text:
            assert " ".join(doc.split()).startswith(" ".join(text.split())), operation


@pytest.mark.parametrize("api", APIS)
def test_operations_have_a_property_per_tag(api: str) -> None:
    package = _api_package(api)
    tags = _tags(api)
    assert tags
    for prefix in ("", "Async"):
        cls = getattr(package, f"{prefix}Operations")
        assert cls.__slots__ == ("_call",)
        properties = sorted(k for k, v in vars(cls).items() if isinstance(v, property))
        assert properties == tags
        caller = Recorder()
        operations = cls(caller)
        for tag in tags:
            assert (getattr(cls, tag).__doc__ or "").strip(), tag
            bound = getattr(operations, tag)
            assert type(bound).__name__ == f"{prefix}{_pascal(tag)}Operations"
            assert type(bound).__module__ == f"{GENERATED}.{api}.api.{tag}"
            assert bound._call is caller
            assert type(bound).__slots__ == ("_call",)
        with pytest.raises(AttributeError):
            operations.extra = 1


@pytest.mark.parametrize("api", APIS)
def test_importing_operations_imports_no_model(api: str) -> None:
    root = Path(importlib.import_module("contentstack_client").__file__ or "").parent.parent
    script = textwrap.dedent(
        f"""
        import importlib, json, sys
        api = importlib.import_module("{GENERATED}.{api}.api")
        operations = api.Operations(print)
        async_operations = api.AsyncOperations(print)
        for tag in {_tags(api)!r}:
            importlib.import_module("{GENERATED}.{api}.api." + tag)
            getattr(operations, tag)
            getattr(async_operations, tag)
        print(json.dumps(sorted(name for name in sys.modules if name.startswith("{GENERATED}"))))
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=root
    )
    loaded: list[str] = json.loads(proc.stdout.splitlines()[-1])
    api_prefix = f"{GENERATED}.{api}.api"
    assert not [name for name in loaded if ".models" in name]
    tag_packages = {f"{api_prefix}.{tag}" for tag in _tags(api)}
    endpoint_modules = [
        n for n in loaded if n.startswith(api_prefix + ".") and n not in tag_packages
    ]
    assert not endpoint_modules
