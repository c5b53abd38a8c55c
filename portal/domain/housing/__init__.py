"""The housing waiting list's rules (SPEC §2), pure: no Flask, no database.

- facts: what the registries say (HousingFacts) and what the applicant answers (Answers);
- eligibility: the two cases, the three-year registration rule and its exceptions;
- grounds: every refusal ground as a named rule with a stable code and legal reference;
- categories: the art. 74 p.1 catalogue and whether the registries confirm a category;
- deadlines: decision, notice, hearing and complaint dates in working days;
- queue: which list, the order of a list, a position in it.
"""
