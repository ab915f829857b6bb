# Old flat module paths of ictstory -> the sub-packages (issue 19, point 3).
# Usage: sed -i -E -f tools/rehome.sed FILES   (idempotent: running it twice changes nothing)
# It first splits `from ictstory import a, b` into one line per name; a parenthesised
# multi-line `from ictstory import (...)` must be split by hand. Then `ruff check --fix`
# sorts the imports again.
# 1. one line per name: from ictstory import a, b -> two lines
:split
s/^([ \t]*)from ictstory import ([a-z_]+( as [a-z_]+)?), *([a-z_][a-z_, ]*[a-z_])[ \t]*$/\1from ictstory import \2\n\1from ictstory import \4/M
t split
# 2. build.py became build/book.py (ictstory.build is now a package; python -m ictstory.build works)
s/\bfrom ictstory import build\b( as [a-z_]+)?/from ictstory.build import book\1/g
s/\bfrom ictstory\.build import book$/from ictstory.build import book as build/M
s/\bfrom ictstory\.build import (IGNORED_INPUTS|INPUT_PATHS|PAUSE_ENV|_build|_environment_key_path|_pause|_point|_still_published|build_dir|build_lock|clear_stage|describe_os_error|environment_key|forget_environment|input_files|inputs_fingerprint|log_path|main|prepare_cache|publish|published_link|published_site|run_jupyter_book|sites_dir|stage_dir|staged_html|tidy)\b/from ictstory.build.book import \1/g
s/\bictstory\.build\.(IGNORED_INPUTS|INPUT_PATHS|PAUSE_ENV|_build|_environment_key_path|_pause|_point|_still_published|build_dir|build_lock|clear_stage|describe_os_error|environment_key|forget_environment|input_files|inputs_fingerprint|log_path|main|prepare_cache|publish|published_link|published_site|run_jupyter_book|sites_dir|stage_dir|staged_html|tidy)\b/ictstory.build.book.\1/g
s#\bictstory/build\.py\b#ictstory/build/book.py#g
# 3. data.py became data/__init__.py: ictstory.data is unchanged; paths, i18n, sitelock and
#    editions (the twins: check, sync, run) stay at the top. The site's part of editions moved:
s/\bictstory\.editions\.(EDITION_NAMES|VI_SETTINGS|ROOT_PAGE|edition_files|book_source|other_edition_href|write_root_page)\b/ictstory.site.bilingual.\1/g
s/\bfrom ictstory\.editions import (EDITION_NAMES|VI_SETTINGS|ROOT_PAGE|edition_files|book_source|other_edition_href|write_root_page)\b/from ictstory.site.bilingual import \1/g
#    (code that wrote editions.EDITION_NAMES after `from ictstory import editions` is fixed by hand)
# 3a. JupyterLab's launcher left notebook (which keeps the glued table): ictstory.build.lab
s/\bictstory\.(story\.)?notebook lab\b/ictstory.build.lab/g
s/"ictstory\.(story\.)?notebook", "lab"/"ictstory.build.lab"/g
s/\bfrom ictstory\.(story\.)?notebook import (LAB_SETTINGS|LAB_OFFLINE_OPTIONS|lab_settings_path|write_lab_settings|lab_command)\b/from ictstory.build.lab import \2/g
s/\bictstory\.(story\.)?notebook\.(LAB_SETTINGS|LAB_OFFLINE_OPTIONS|lab_settings_path|write_lab_settings|lab_command)\b/ictstory.build.lab.\2/g
# 3b. paths of this branch's first step (pkg, moves only) that moved again
s/\bictstory\.build\.deps\b/ictstory.story.deps/g
s/\bfrom ictstory\.build import deps\b/from ictstory.story import deps/g
s/\bictstory\.build\.(execute|kernels)\b/ictstory.site.\1/g
s/\bfrom ictstory\.build import (execute|kernels)\b/from ictstory.site import \1/g
s/\bictstory\.build\.(sitelock|editions)\b/ictstory.\1/g
s/\bfrom ictstory\.build import (sitelock|editions)\b/from ictstory import \1/g
s#\bictstory/build/deps\.py\b#ictstory/story/deps.py#g
s#\bictstory/build/(execute|kernels)\.py\b#ictstory/site/\1.py#g
s#\bictstory/build/(sitelock|editions)\.py\b#ictstory/\1.py#g
# 4. package data of the Sphinx extension
s#\bictstory/(static|templates)\b#ictstory/site/\1#g
# 5. every other module moved into a sub-package
#    (forms.slope and forms.dot_plot were deleted: unused)
s/\bfrom ictstory import cellcheck\b/from ictstory.data import cellcheck/g
s/\bictstory\.cellcheck\b/ictstory.data.cellcheck/g
s#\bictstory/cellcheck\.py\b#ictstory/data/cellcheck.py#g
s/\bfrom ictstory import crosscheck\b/from ictstory.data import crosscheck/g
s/\bictstory\.crosscheck\b/ictstory.data.crosscheck/g
s#\bictstory/crosscheck\.py\b#ictstory/data/crosscheck.py#g
s/\bfrom ictstory import datafiles\b/from ictstory.data import datafiles/g
s/\bictstory\.datafiles\b/ictstory.data.datafiles/g
s#\bictstory/datafiles\.py\b#ictstory/data/datafiles.py#g
s/\bfrom ictstory import derivation\b/from ictstory.data import derivation/g
s/\bictstory\.derivation\b/ictstory.data.derivation/g
s#\bictstory/derivation\.py\b#ictstory/data/derivation.py#g
s/\bfrom ictstory import vnnumber\b/from ictstory.data import vnnumber/g
s/\bictstory\.vnnumber\b/ictstory.data.vnnumber/g
s#\bictstory/vnnumber\.py\b#ictstory/data/vnnumber.py#g
s/\bfrom ictstory import chapterrefs\b/from ictstory.data import chapterrefs/g
s/\bictstory\.chapterrefs\b/ictstory.data.chapterrefs/g
s#\bictstory/chapterrefs\.py\b#ictstory/data/chapterrefs.py#g
s/\bfrom ictstory import textrefs\b/from ictstory.data import textrefs/g
s/\bictstory\.textrefs\b/ictstory.data.textrefs/g
s#\bictstory/textrefs\.py\b#ictstory/data/textrefs.py#g
s/\bfrom ictstory import vocabulary\b/from ictstory.data import vocabulary/g
s/\bictstory\.vocabulary\b/ictstory.data.vocabulary/g
s#\bictstory/vocabulary\.py\b#ictstory/data/vocabulary.py#g
s/\bfrom ictstory import prose\b/from ictstory.story import prose/g
s/\bictstory\.prose\b/ictstory.story.prose/g
s#\bictstory/prose\.py\b#ictstory/story/prose.py#g
s/\bfrom ictstory import charts\b/from ictstory.story import charts/g
s/\bictstory\.charts\b/ictstory.story.charts/g
s#\bictstory/charts\.py\b#ictstory/story/charts.py#g
s/\bfrom ictstory import forms\b/from ictstory.story import forms/g
s/\bictstory\.forms\b/ictstory.story.forms/g
s#\bictstory/forms\.py\b#ictstory/story/forms.py#g
s/\bfrom ictstory import theme\b/from ictstory.story import theme/g
s/\bictstory\.theme\b/ictstory.story.theme/g
s#\bictstory/theme\.py\b#ictstory/story/theme.py#g
s/\bfrom ictstory import reference\b/from ictstory.story import reference/g
s/\bictstory\.reference\b/ictstory.story.reference/g
s#\bictstory/reference\.py\b#ictstory/story/reference.py#g
s/\bfrom ictstory import notebook\b/from ictstory.story import notebook/g
s/\bictstory\.notebook\b/ictstory.story.notebook/g
s#\bictstory/notebook\.py\b#ictstory/story/notebook.py#g
s/\bfrom ictstory import outside\b/from ictstory.story import outside/g
s/\bictstory\.outside\b/ictstory.story.outside/g
s#\bictstory/outside\.py\b#ictstory/story/outside.py#g
s/\bfrom ictstory import sourcepage\b/from ictstory.story import sourcepage/g
s/\bictstory\.sourcepage\b/ictstory.story.sourcepage/g
s#\bictstory/sourcepage\.py\b#ictstory/story/sourcepage.py#g
s/\bfrom ictstory import deps\b/from ictstory.story import deps/g
s/\bictstory\.deps\b/ictstory.story.deps/g
s#\bictstory/deps\.py\b#ictstory/story/deps.py#g
s/\bfrom ictstory import sphinx_ext\b/from ictstory.site import sphinx_ext/g
s/\bictstory\.sphinx_ext\b/ictstory.site.sphinx_ext/g
s#\bictstory/sphinx_ext\.py\b#ictstory/site/sphinx_ext.py#g
s/\bfrom ictstory import jupyterbook\b/from ictstory.site import jupyterbook/g
s/\bictstory\.jupyterbook\b/ictstory.site.jupyterbook/g
s#\bictstory/jupyterbook\.py\b#ictstory/site/jupyterbook.py#g
s/\bfrom ictstory import cssprune\b/from ictstory.site import cssprune/g
s/\bictstory\.cssprune\b/ictstory.site.cssprune/g
s#\bictstory/cssprune\.py\b#ictstory/site/cssprune.py#g
s/\bfrom ictstory import search_vi\b/from ictstory.site import search_vi/g
s/\bictstory\.search_vi\b/ictstory.site.search_vi/g
s#\bictstory/search_vi\.py\b#ictstory/site/search_vi.py#g
s/\bfrom ictstory import downloads\b/from ictstory.site import downloads/g
s/\bictstory\.downloads\b/ictstory.site.downloads/g
s#\bictstory/downloads\.py\b#ictstory/site/downloads.py#g
s/\bfrom ictstory import notebooks_download\b/from ictstory.site import notebooks_download/g
s/\bictstory\.notebooks_download\b/ictstory.site.notebooks_download/g
s#\bictstory/notebooks_download\.py\b#ictstory/site/notebooks_download.py#g
s/\bfrom ictstory import figures\b/from ictstory.site import figures/g
s/\bictstory\.figures\b/ictstory.site.figures/g
s#\bictstory/figures\.py\b#ictstory/site/figures.py#g
s/\bfrom ictstory import glossary\b/from ictstory.site import glossary/g
s/\bictstory\.glossary\b/ictstory.site.glossary/g
s#\bictstory/glossary\.py\b#ictstory/site/glossary.py#g
s/\bfrom ictstory import execute\b/from ictstory.site import execute/g
s/\bictstory\.execute\b/ictstory.site.execute/g
s#\bictstory/execute\.py\b#ictstory/site/execute.py#g
s/\bfrom ictstory import kernels\b/from ictstory.site import kernels/g
s/\bictstory\.kernels\b/ictstory.site.kernels/g
s#\bictstory/kernels\.py\b#ictstory/site/kernels.py#g
s/\bfrom ictstory import chartdirective\b/from ictstory.site import chartdirective/g
s/\bictstory\.chartdirective\b/ictstory.site.chartdirective/g
s#\bictstory/chartdirective\.py\b#ictstory/site/chartdirective.py#g
s/\bfrom ictstory import buildlog\b/from ictstory.build import buildlog/g
s/\bictstory\.buildlog\b/ictstory.build.buildlog/g
s#\bictstory/buildlog\.py\b#ictstory/build/buildlog.py#g
s/\bfrom ictstory import serve\b/from ictstory.build import serve/g
s/\bictstory\.serve\b/ictstory.build.serve/g
s#\bictstory/serve\.py\b#ictstory/build/serve.py#g
s/\bfrom ictstory import publish\b/from ictstory.build import publish/g
s/\bictstory\.publish\b/ictstory.build.publish/g
s#\bictstory/publish\.py\b#ictstory/build/publish.py#g
s/\bfrom ictstory import chapterapi\b/from ictstory.build import chapterapi/g
s/\bictstory\.chapterapi\b/ictstory.build.chapterapi/g
s#\bictstory/chapterapi\.py\b#ictstory/build/chapterapi.py#g
s/\bfrom ictstory import trainer\b/from ictstory.trainers import trainer/g
s/\bictstory\.trainer\b/ictstory.trainers.trainer/g
s#\bictstory/trainer\.py\b#ictstory/trainers/trainer.py#g
s/\bfrom ictstory import handouts\b/from ictstory.trainers import handouts/g
s/\bictstory\.handouts\b/ictstory.trainers.handouts/g
s#\bictstory/handouts\.py\b#ictstory/trainers/handouts.py#g
s/\bfrom ictstory import slides\b/from ictstory.trainers import slides/g
s/\bictstory\.slides\b/ictstory.trainers.slides/g
s#\bictstory/slides\.py\b#ictstory/trainers/slides.py#g
s/\bfrom ictstory import exercises\b/from ictstory.trainers import exercises/g
s/\bictstory\.exercises\b/ictstory.trainers.exercises/g
s#\bictstory/exercises\.py\b#ictstory/trainers/exercises.py#g
s/\bfrom ictstory\.data\.vocabulary import (short_labels|word|words|UnknownWord|has_word)/from ictstory.story.words import \1/g
