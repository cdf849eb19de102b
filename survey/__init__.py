"""The 《投资环境调查问卷》: the questionnaire definition (``questionnaire``, importable without
Flask), survey rounds and invitations, the enterprise's form, paper keying, response tracking and
the ``responses.csv`` bundle file.  The pages live in ``views``."""
