"""The catalogue of opportunities (trainings, jobs, internships, grants) and the directory of
local services: their fields and validation, file import and export, and the service functions
staff tools call. It knows storage and the NLU's vocabulary, never a channel."""
