"""The 《投资环境调查问卷》: questionnaire definition, survey rounds and responses (issue #3)."""
