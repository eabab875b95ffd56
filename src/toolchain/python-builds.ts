// What python-build (pyenv's installer, which mise and asdf use too) has definitions for:
// CPython's versions and prefixes start with a digit (`3.12.1`, `3.12`, `3.13t`), other
// builds with their flavour's name (`pypy3.10-7.3.12`, `miniconda3-latest`).
const FLAVOURS =
  'activepython|anaconda|cinder|graalpy|graalpython|ironpython|jython|mambaforge|' +
  'micropython|miniconda|miniforge|nogil|pypy|pyston|stackless';

/** A name python-build could install: a CPython version or prefix, or another flavour's build. */
export const PYTHON_BUILD_NAME = new RegExp(`^(\\d|(${FLAVOURS})([\\d.-]|$))`);

/**
 * A Python build that is not CPython (`pypy3.10-7.3.12`, `miniconda3-latest`): installed
 * under that name, which is matched exactly, as pyenv does.
 */
export const PYTHON_FLAVOUR_NAME = new RegExp(`^(${FLAVOURS})([\\d.-]|$)`);
