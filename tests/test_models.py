"""Every relationship of every model is typed (``Mapped[...]``), so its target is checked."""
import complaints.models  # noqa: F401  (every model module, so that the registry holds them all)
import feedback.models  # noqa: F401
import investenv.audit.models  # noqa: F401
import spotchecks.models  # noqa: F401
import survey.models  # noqa: F401
from investenv.extensions import db


def test_every_relationship_is_typed():
    relationships = [(m.class_, r.key) for m in db.Model.registry.mappers for r in m.relationships]
    assert len(relationships) > 40
    untyped = [f"{cls.__name__}.{key}" for cls, key in relationships
               if not str(cls.__annotations__.get(key, "")).startswith("Mapped[")]
    assert not untyped, f"type these relationships with Mapped[...]: {untyped}"
