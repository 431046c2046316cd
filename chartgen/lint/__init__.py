"""chartgen.lint"""
