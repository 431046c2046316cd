"""chartgen.model"""
