"""The quick select widget writes exactly what WTForms' own select widget writes."""

from hypothesis import given
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict
from wtforms import Form, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from trainer.web.forms import QuickSelectField

texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)


def _pair(choices, chosen, **field_args):
    class Library(Form):
        pick = SelectField("Pick", choices=choices, **field_args)

    class Quick(Form):
        pick = QuickSelectField("Pick", choices=choices, **field_args)

    data = MultiDict({"pick": chosen}) if chosen is not None else None
    return Library(formdata=data).pick, Quick(formdata=data).pick


@given(st.lists(st.tuples(texts, texts), max_size=8), st.one_of(st.none(), texts))
def test_the_markup_is_the_librarys_for_any_choices_and_answer(choices, chosen):
    library, quick = _pair(choices, chosen)
    assert quick() == library()


def test_a_required_select_keeps_its_required_attribute():
    library, quick = _pair([("a", "A"), ("b", "B <b>")], "b", validators=[InputRequired()])
    assert quick(**{"aria-invalid": "true"}) == library(**{"aria-invalid": "true"})


def test_grouped_choices_are_left_to_the_library():
    grouped = [SelectChoice("a", "A", optgroup="Tablets"), SelectChoice("b", "B", optgroup="Liquids")]
    library, quick = _pair(grouped, "b")
    assert quick() == library() and "<optgroup" in quick()
