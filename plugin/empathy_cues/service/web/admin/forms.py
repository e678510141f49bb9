"""The admin page's forms. Each is a Flask-WTF form, so each carries its CSRF token field."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from ....bounds import MAX_RAW_CHARS, MAX_SUBJECT_CHARS
from ....core.event import Channel

class SignInForm(FlaskForm):
    token = PasswordField("Admin token", validators=[DataRequired(), Length(max=1024)])


class TryForm(FlaskForm):
    text = TextAreaField("Customer message", validators=[DataRequired(), Length(max=MAX_RAW_CHARS)])
    subject = StringField("Subject (optional)", validators=[Optional(), Length(max=MAX_SUBJECT_CHARS)])
    # The values `empathy-cues scan --channel` takes; the response target follows from the channel.
    channel = SelectField("Channel", default="email", choices=[c.value for c in Channel])


class ReplayForm(FlaskForm):
    letter = HiddenField(validators=[DataRequired(), Regexp(r"^[0-9]{1,20}$")])
